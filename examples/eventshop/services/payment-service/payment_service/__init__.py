"""payment-service: captures the payment of every placed order."""
