module example.com/legacy-user

go 1.20

require (
	github.com/docker/docker v24.0.9+incompatible
	github.com/example/should-be-incompatible v2.0.0
	github.com/example/suffixed/v2 v2.0.0+incompatible
)
