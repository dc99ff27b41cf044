module example.com/payments

go 1.23.1

require (
	github.com/IBM/sarama v1.43.2
	github.com/twmb/franz-go v1.17.1
	google.golang.org/grpc v1.64.0
)

require (
	golang.org/x/net v0.26.0
)

require ()
