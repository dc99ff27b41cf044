module example.com/library

go 1.22

require (
	github.com/IBM/sarama v1.32.0
	github.com/segmentio/kafka-go v0.4.47
)

exclude github.com/IBM/sarama v1.32.0

exclude (
	github.com/segmentio/kafka-go v0.4.36
	github.com/segmentio/kafka-go v0.4.37
)

// Published with a broken build tag.
retract v1.0.1

retract (
	[v1.1.0, v1.1.3] // data race in the consumer
	v0.9.0
)

retract [v2.0.0
retract v1.0.0 extra
