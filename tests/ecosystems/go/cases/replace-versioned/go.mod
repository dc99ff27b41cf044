module example.com/versioned

go 1.22

require (
	google.golang.org/grpc v1.64.0
	go.uber.org/zap v1.26.0
	github.com/twmb/franz-go v1.17.1
)

replace (
	// only this exact version is replaced
	google.golang.org/grpc v1.63.0 => google.golang.org/grpc v1.63.2
	// the versioned rule wins over the one for every version
	go.uber.org/zap => ../zap
	go.uber.org/zap v1.26.0 => go.uber.org/zap v1.27.0
	github.com/twmb/franz-go => github.com/twmb/franz-go v1.18.0
	github.com/twmb/franz-go => github.com/twmb/franz-go v1.18.1
)
