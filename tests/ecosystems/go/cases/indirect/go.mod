module example.com/notifier

go 1.21

require github.com/go-chi/chi/v5 v5.0.12

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 //indirect
	golang.org/x/sys v0.21.0 // indirect; pulled in by x/net
	golang.org/x/text v0.16.0 // indirectly needed, but not marked
	gopkg.in/yaml.v3 v3.0.1 // Indirect
)
