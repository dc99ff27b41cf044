// shipping-service: books a carrier when an order is both paid (payments.captured, Avro,
// only its key is used here) and reserved (inventory.reserved, JSON), then publishes
// shipments.dispatched. A small HTTP API lets the warehouse look shipments up.
import axios from "axios";
import express from "express";
import jwt from "jsonwebtoken";
import { groupBy } from "lodash";
import {
  kafka,
  ShipmentDispatched,
  StockReserved,
  TOPIC_PAYMENT_CAPTURED,
  TOPIC_SHIPMENT_DISPATCHED,
  TOPIC_STOCK_RESERVED,
} from "./events";

const paid = new Set<string>();
const reserved = new Map<string, StockReserved>();
const shipments = new Map<string, ShipmentDispatched>();
const producer = kafka.producer({ idempotent: true });
const consumer = kafka.consumer({ groupId: "shipping-service" });
const carrier = axios.create({ baseURL: process.env.CARRIER_URL ?? "https://carrier.eventshop.example", timeout: 5000 });

async function dispatch(orderId: string): Promise<void> {
  const reservation = reserved.get(orderId);
  if (!reservation || !paid.has(orderId)) return;
  const parcels = groupBy(reservation.lines, (line) => line.warehouse_id);
  const { data } = await carrier.post("/v1/bookings", { reference: orderId, parcels });
  const event: ShipmentDispatched = {
    orderId,
    carrier: data.carrier,
    trackingNumber: data.trackingNumber,
    dispatchedAt: new Date().toISOString(),
  };
  shipments.set(orderId, event);
  await producer.send({ topic: TOPIC_SHIPMENT_DISPATCHED, messages: [{ key: orderId, value: JSON.stringify(event) }] });
  paid.delete(orderId);
  reserved.delete(orderId);
}

async function consume(): Promise<void> {
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topics: [TOPIC_PAYMENT_CAPTURED, TOPIC_STOCK_RESERVED], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const orderId = message.key?.toString();
      if (!orderId) return;
      if (topic === TOPIC_PAYMENT_CAPTURED) paid.add(orderId);
      if (topic === TOPIC_STOCK_RESERVED && message.value) reserved.set(orderId, JSON.parse(message.value.toString()));
      await dispatch(orderId);
    },
  });
}

const app = express();
app.use(express.json());
app.use((req, res, next) => {
  if (req.path === "/healthz") return next();
  try {
    jwt.verify((req.headers.authorization ?? "").replace(/^Bearer /, ""), process.env.JWT_SECRET ?? "");
    return next();
  } catch {
    return res.sendStatus(401);
  }
});
app.get("/healthz", (_req, res) => res.send("ok"));
app.get("/shipments/:orderId", (req, res) => {
  const shipment = shipments.get(req.params.orderId);
  return shipment ? res.json(shipment) : res.sendStatus(404);
});

app.listen(Number(process.env.PORT ?? 3000), () => console.log("shipping-service listening"));
consume().catch((error) => {
  console.error(error);
  process.exit(1);
});
