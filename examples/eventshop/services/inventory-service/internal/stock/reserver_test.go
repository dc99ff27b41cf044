package stock

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStockReservedUsesTheSchemaFieldNames(t *testing.T) {
	value, err := json.Marshal(StockReserved{EventID: "e1", OrderID: "o1", ReservedAt: time.Unix(0, 0).UTC()})
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(value, &fields))
	require.Contains(t, fields, "event_id")
	require.Contains(t, fields, "order_id")
	require.Contains(t, fields, "reserved_at")
}
