// Command inventory-service reserves stock for every order on "orders.placed" and
// announces the reservation on "inventory.reserved". It serves the gRPC health protocol
// and Prometheus metrics.
package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/IBM/sarama"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/eventshop/eventshop/services/inventory-service/internal/stock"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		logger.Fatal("connect to postgres", zap.Error(err))
	}
	defer pool.Close()

	config := sarama.NewConfig()
	config.Version = sarama.V2_8_1_0
	config.Consumer.Offsets.Initial = sarama.OffsetOldest
	config.Producer.RequiredAcks = sarama.WaitForAll
	config.Producer.Return.Successes = true
	brokers := strings.Split(getenv("KAFKA_BROKERS", "kafka:9092"), ",")

	producer, err := sarama.NewSyncProducer(brokers, config)
	if err != nil {
		logger.Fatal("kafka producer", zap.Error(err))
	}
	defer producer.Close()
	group, err := sarama.NewConsumerGroup(brokers, "inventory-service", config)
	if err != nil {
		logger.Fatal("kafka consumer group", zap.Error(err))
	}
	defer group.Close()

	go serveHealth(logger)
	go func() {
		_ = http.ListenAndServe(":9090", promhttp.Handler())
	}()

	handler := stock.NewReserver(pool, producer, logger)
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{stock.TopicOrderPlaced}, handler); err != nil {
			logger.Error("consume", zap.Error(err))
		}
	}
}

func serveHealth(logger *zap.Logger) {
	listener, err := net.Listen("tcp", ":8081")
	if err != nil {
		logger.Fatal("listen grpc", zap.Error(err))
	}
	server := grpc.NewServer()
	healthpb.RegisterHealthServer(server, health.NewServer())
	if err := server.Serve(listener); err != nil {
		logger.Error("serve grpc", zap.Error(err))
	}
}

func getenv(key, fallback string) string {
	if value, ok := os.LookupEnv(key); ok {
		return value
	}
	return fallback
}
