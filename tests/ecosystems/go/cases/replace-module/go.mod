module example.com/fork-user

go 1.22

require (
	github.com/Shopify/sarama v1.38.1
	golang.org/x/net v0.20.0
)

replace github.com/Shopify/sarama => github.com/IBM/sarama v1.43.2

replace golang.org/x/net v0.20.0 => golang.org/x/net v0.26.0
