// Topics and payloads shipping-service reads and writes.
import { Kafka, logLevel } from "kafkajs";

export const TOPIC_PAYMENT_CAPTURED = "payments.captured";
export const TOPIC_STOCK_RESERVED = "inventory.reserved";
export const TOPIC_SHIPMENT_DISPATCHED = "shipments.dispatched";

export interface StockReserved {
  event_id: string;
  order_id: string;
  reserved_at: string;
  lines: { sku: string; quantity: number; warehouse_id: string }[];
}

export interface ShipmentDispatched {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  dispatchedAt: string;
}

export const kafka = new Kafka({
  clientId: "shipping-service",
  brokers: (process.env.KAFKA_BROKERS ?? "kafka:9092").split(","),
  logLevel: logLevel.WARN,
});
