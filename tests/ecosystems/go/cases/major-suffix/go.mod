module example.com/majors/v3

go 1.22

require (
	github.com/jackc/pgx/v5 v5.6.0
	github.com/confluentinc/confluent-kafka-go/v2 v2.4.0
	github.com/go-chi/chi/v5 v4.0.0
	gopkg.in/yaml.v3 v3.0.1
	gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405
	gopkg.in/yaml.v2 v3.0.0
	example.com/odd/v1 v1.0.0
	github.com/example/short v1.2
)
