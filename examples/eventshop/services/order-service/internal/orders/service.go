// Package orders holds the order aggregate: placing an order, storing it and publishing
// the OrderPlaced event (schemas/orders/v1/order_placed.proto).
package orders

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	ordersv1 "github.com/eventshop/eventshop/services/order-service/internal/gen/orders/v1"
)

// Topics this service writes and reads.
const (
	TopicOrderPlaced     = "orders.placed"
	TopicPaymentCaptured = "payments.captured"
	TopicStockReserved   = "inventory.reserved"
)

// Line is one item of an order request.
type Line struct {
	SKU        string `json:"sku"`
	Quantity   int32  `json:"quantity"`
	PriceCents int64  `json:"price_cents"`
}

// PlaceOrderRequest is the body of POST /orders.
type PlaceOrderRequest struct {
	CustomerID string `json:"customer_id"`
	Currency   string `json:"currency"`
	Lines      []Line `json:"lines"`
}

// Service places orders and follows their payment and stock reservation.
type Service struct {
	db     *pgxpool.Pool
	writer *kafka.Writer
	log    *zap.Logger
}

// NewService wires the database pool, the Kafka writer and the logger.
func NewService(db *pgxpool.Pool, writer *kafka.Writer, log *zap.Logger) *Service {
	return &Service{db: db, writer: writer, log: log}
}

// PlaceOrder stores a new order and publishes OrderPlaced keyed by the order ID.
func (s *Service) PlaceOrder(w http.ResponseWriter, r *http.Request) {
	var req PlaceOrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Lines) == 0 {
		http.Error(w, "invalid order", http.StatusBadRequest)
		return
	}
	var orderID string
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		return tx.QueryRow(r.Context(),
			`INSERT INTO orders (customer_id, currency, status) VALUES ($1, $2, 'PLACED') RETURNING id`,
			req.CustomerID, req.Currency).Scan(&orderID)
	})
	if err != nil {
		s.log.Error("store order", zap.Error(err))
		http.Error(w, "could not store order", http.StatusInternalServerError)
		return
	}
	if err := s.publish(r.Context(), orderID, req); err != nil {
		s.log.Error("publish order placed", zap.String("order_id", orderID), zap.Error(err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]string{"order_id": orderID})
}

// GetOrder answers GET /orders/{orderID}.
func (s *Service) GetOrder(w http.ResponseWriter, r *http.Request) {
	var status string
	err := s.db.QueryRow(r.Context(), `SELECT status FROM orders WHERE id = $1`,
		chi.URLParam(r, "orderID")).Scan(&status)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"status": status})
}

func (s *Service) publish(ctx context.Context, orderID string, req PlaceOrderRequest) error {
	event := &ordersv1.OrderPlaced{
		OrderId:    orderID,
		CustomerId: req.CustomerID,
		Currency:   req.Currency,
		PlacedAt:   timestamppb.New(time.Now()),
	}
	for _, line := range req.Lines {
		event.Lines = append(event.Lines, &ordersv1.OrderLine{
			Sku: line.SKU, Quantity: line.Quantity, UnitPriceCents: line.PriceCents,
		})
		event.TotalCents += int64(line.Quantity) * line.PriceCents
	}
	value, err := proto.Marshal(event)
	if err != nil {
		return err
	}
	return s.writer.WriteMessages(ctx, kafka.Message{Key: []byte(orderID), Value: value})
}

// FollowPayments marks orders paid when PaymentCaptured arrives.
func (s *Service) FollowPayments(ctx context.Context, reader *kafka.Reader) {
	s.follow(ctx, reader, `UPDATE orders SET status = 'PAID' WHERE id = $1`)
}

// FollowReservations marks orders reserved when StockReserved arrives.
func (s *Service) FollowReservations(ctx context.Context, reader *kafka.Reader) {
	s.follow(ctx, reader, `UPDATE orders SET status = 'RESERVED' WHERE id = $1 AND status = 'PLACED'`)
}

func (s *Service) follow(ctx context.Context, reader *kafka.Reader, statement string) {
	defer reader.Close()
	for {
		message, err := reader.ReadMessage(ctx)
		if err != nil {
			return
		}
		if _, err := s.db.Exec(ctx, statement, string(message.Key)); err != nil {
			s.log.Warn("update order", zap.String("topic", message.Topic), zap.Error(err))
		}
	}
}
