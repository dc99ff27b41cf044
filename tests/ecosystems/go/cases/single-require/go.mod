module example.com/orders

go 1.22

require github.com/segmentio/kafka-go v0.4.47
require go.uber.org/zap v1.27.0
