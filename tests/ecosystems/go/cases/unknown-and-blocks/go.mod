module example.com/newer

go 1.24

godebug (
	default=go1.21
	panicnil=1
)

tool golang.org/x/tools/cmd/stringer

ignore ./node_modules

require golang.org/x/tools v0.22.0

require github.com/example/oneliner (
	v1.0.0
)

require (github.com/example/same-line v1.0.0
)

require ( )
exclude ()
require ( // an empty block with a comment
)
