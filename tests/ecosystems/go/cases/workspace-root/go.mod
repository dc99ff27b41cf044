module example.com/root

go 1.22

require (
	example.com/root/tools v0.0.0-00010101000000-000000000000
	github.com/segmentio/kafka-go v0.4.47
)

replace github.com/segmentio/kafka-go => github.com/segmentio/kafka-go v0.4.46
