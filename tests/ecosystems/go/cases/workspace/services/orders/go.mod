module example.com/shop/orders

go 1.22

require (
	example.com/shop/events v0.1.0
	github.com/IBM/sarama v1.43.2
	google.golang.org/grpc v1.64.0
	go.uber.org/zap v1.27.0
)

replace github.com/IBM/sarama => github.com/IBM/sarama v1.42.0
