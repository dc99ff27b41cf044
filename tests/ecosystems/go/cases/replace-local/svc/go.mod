module example.com/svc

go 1.22

require (
	example.com/common v0.0.0
	example.com/events v1.4.0
	github.com/segmentio/kafka-go v0.4.47
)

replace example.com/common => ../common

replace (
	example.com/events => /opt/src/events
	example.com/not-required => ./vendor/not-required
)
