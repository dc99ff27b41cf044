// Package stock reserves stock for placed orders. It reads OrderPlaced (protobuf,
// schemas/orders/v1/order_placed.proto) and writes StockReserved (JSON,
// schemas/inventory/stock_reserved.schema.json).
package stock

import (
	"context"
	"encoding/json"
	"time"

	"github.com/IBM/sarama"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	ordersv1 "github.com/eventshop/eventshop/services/inventory-service/internal/gen/orders/v1"
)

// Topics this service reads and writes.
const (
	TopicOrderPlaced   = "orders.placed"
	TopicStockReserved = "inventory.reserved"
)

// ReservedLine is one line of a StockReserved event.
type ReservedLine struct {
	SKU         string `json:"sku"`
	Quantity    int32  `json:"quantity"`
	WarehouseID string `json:"warehouse_id"`
}

// StockReserved is the event published on inventory.reserved.
type StockReserved struct {
	EventID    string         `json:"event_id"`
	OrderID    string         `json:"order_id"`
	ReservedAt time.Time      `json:"reserved_at"`
	Lines      []ReservedLine `json:"lines"`
}

// Reserver is a sarama consumer group handler.
type Reserver struct {
	db       *pgxpool.Pool
	producer sarama.SyncProducer
	log      *zap.Logger
}

// NewReserver wires the pool, the producer and the logger.
func NewReserver(db *pgxpool.Pool, producer sarama.SyncProducer, log *zap.Logger) *Reserver {
	return &Reserver{db: db, producer: producer, log: log}
}

// Setup is called when a new session starts.
func (r *Reserver) Setup(sarama.ConsumerGroupSession) error { return nil }

// Cleanup is called when a session ends.
func (r *Reserver) Cleanup(sarama.ConsumerGroupSession) error { return nil }

// ConsumeClaim reserves stock for each message and marks it consumed.
func (r *Reserver) ConsumeClaim(session sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for message := range claim.Messages() {
		var order ordersv1.OrderPlaced
		if err := proto.Unmarshal(message.Value, &order); err != nil {
			r.log.Warn("skip malformed OrderPlaced", zap.Int64("offset", message.Offset), zap.Error(err))
			session.MarkMessage(message, "")
			continue
		}
		if err := r.reserve(session.Context(), &order); err != nil {
			return err
		}
		session.MarkMessage(message, "")
	}
	return nil
}

func (r *Reserver) reserve(ctx context.Context, order *ordersv1.OrderPlaced) error {
	event := StockReserved{EventID: order.GetOrderId() + ":reserved", OrderID: order.GetOrderId(), ReservedAt: time.Now().UTC()}
	err := pgx.BeginFunc(ctx, r.db, func(tx pgx.Tx) error {
		for _, line := range order.GetLines() {
			var warehouse string
			err := tx.QueryRow(ctx,
				`UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND available - reserved >= $2 RETURNING warehouse_id`,
				line.GetSku(), line.GetQuantity()).Scan(&warehouse)
			if err != nil {
				return err
			}
			event.Lines = append(event.Lines, ReservedLine{SKU: line.GetSku(), Quantity: line.GetQuantity(), WarehouseID: warehouse})
		}
		return nil
	})
	if err != nil {
		r.log.Info("stock not reserved", zap.String("order_id", order.GetOrderId()), zap.Error(err))
		return nil
	}
	value, err := json.Marshal(event)
	if err != nil {
		return err
	}
	_, _, err = r.producer.SendMessage(&sarama.ProducerMessage{
		Topic: TopicStockReserved,
		Key:   sarama.StringEncoder(order.GetOrderId()),
		Value: sarama.ByteEncoder(value),
	})
	return err
}
