module "example.com/quoted"

go 1.22

require "github.com/segmentio/kafka-go" "v0.4.47"

require (
	"go.uber.org/zap" v1.27.0
	"github.com/example/with space" v1.0.0
	"github.com/example/escaped\u0041" v1.0.0
)

replace "github.com/segmentio/kafka-go" => "../kafka go"
