// Package header comment.
// Deprecated: use example.com/commented/v2 instead.
module example.com/commented // the module line

// the go line
go 1.22 // trailing

require ( // block opener comment
	// before an entry

	github.com/IBM/sarama v1.43.2 // a suffix that is not indirect
	"github.com/twmb/franz-go" v1.17.1 // indirect
	// comment right before the closing paren
) // after the closing paren

require github.com/go-chi/chi/v5 v5.0.12// no space before the comment

// dangling comment at the end
