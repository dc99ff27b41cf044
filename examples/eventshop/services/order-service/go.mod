module github.com/eventshop/eventshop/services/order-service

go 1.21

require (
	github.com/go-chi/chi/v5 v5.0.10
	github.com/jackc/pgx/v5 v5.4.3
	github.com/prometheus/client_golang v1.16.0
	github.com/segmentio/kafka-go v0.4.42
	github.com/stretchr/testify v1.8.4
	go.uber.org/zap v1.25.0
	google.golang.org/protobuf v1.31.0
)

require golang.org/x/net v0.7.0 // indirect
