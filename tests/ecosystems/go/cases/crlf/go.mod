module example.com/crlf

go 1.22

require (
	github.com/IBM/sarama v1.43.2
	golang.org/x/net v0.26.0 // indirect
)

replace golang.org/x/net => golang.org/x/net v0.27.0
