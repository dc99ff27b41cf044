module example.com/shop/billing

go 1.22

require (
	example.com/shop/events v0.1.0
	google.golang.org/grpc v1.63.0
)
