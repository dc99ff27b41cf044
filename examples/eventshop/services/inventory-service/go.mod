module github.com/eventshop/eventshop/services/inventory-service

go 1.21

require (
	github.com/IBM/sarama v1.41.2
	github.com/jackc/pgx/v5 v5.5.1
	github.com/prometheus/client_golang v1.17.0
	github.com/stretchr/testify v1.8.4
	go.uber.org/zap v1.26.0
	google.golang.org/grpc v1.58.2
	google.golang.org/protobuf v1.31.0
)

require golang.org/x/net v0.15.0 // indirect
