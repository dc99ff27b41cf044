// Command order-service takes orders over HTTP, stores them in PostgreSQL and publishes
// an OrderPlaced event to the "orders.placed" topic. It consumes "payments.captured" and
// "inventory.reserved" to move an order through its states.
package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/eventshop/eventshop/services/order-service/internal/orders"
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

	brokers := strings.Split(getenv("KAFKA_BROKERS", "kafka:9092"), ",")
	writer := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        orders.TopicOrderPlaced,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
	}
	defer writer.Close()

	service := orders.NewService(pool, writer, logger)
	go service.FollowPayments(ctx, kafka.NewReader(kafka.ReaderConfig{
		Brokers: brokers,
		GroupID: "order-service",
		Topic:   orders.TopicPaymentCaptured,
	}))
	go service.FollowReservations(ctx, kafka.NewReader(kafka.ReaderConfig{
		Brokers: brokers,
		GroupID: "order-service",
		Topic:   orders.TopicStockReserved,
	}))

	router := chi.NewRouter()
	router.Use(middleware.RequestID, middleware.RealIP, middleware.Recoverer)
	router.Post("/orders", service.PlaceOrder)
	router.Get("/orders/{orderID}", service.GetOrder)
	router.Handle("/metrics", promhttp.Handler())
	router.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })

	server := &http.Server{Addr: ":8080", Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	logger.Info("order-service listening", zap.String("addr", server.Addr))
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Fatal("serve", zap.Error(err))
	}
}

func getenv(key, fallback string) string {
	if value, ok := os.LookupEnv(key); ok {
		return value
	}
	return fallback
}
