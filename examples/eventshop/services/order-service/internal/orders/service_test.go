package orders

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTopicsMatchTheContracts(t *testing.T) {
	assert.Equal(t, "orders.placed", TopicOrderPlaced)
	assert.Equal(t, "payments.captured", TopicPaymentCaptured)
	assert.Equal(t, "inventory.reserved", TopicStockReserved)
}
