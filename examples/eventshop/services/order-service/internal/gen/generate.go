// Package gen holds the Go code generated from the shared schemas (../../../../schemas).
// It is generated at build time (see the Dockerfile) and not checked in.
package gen

//go:generate protoc --proto_path=../../../../schemas --go_out=. --go_opt=paths=source_relative --go_opt=Morders/v1/order_placed.proto=github.com/eventshop/eventshop/services/order-service/internal/gen/orders/v1;ordersv1 orders/v1/order_placed.proto
