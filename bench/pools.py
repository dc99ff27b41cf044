"""Name pools and version histories the synthetic monorepo draws from.

Every package gets a deterministic release history seeded by its own name, so the same package has
the same versions in every service and every run. The names are plausible (most are well-known
open-source packages, the rest are an invented ``acme`` organisation's internal libraries); the
versions look real but are invented and say nothing about the real packages.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

_GO_PUBLIC = """
github.com/segmentio/kafka-go github.com/IBM/sarama github.com/confluentinc/confluent-kafka-go/v2
github.com/twmb/franz-go github.com/ThreeDotsLabs/watermill github.com/jackc/pgx/v5
google.golang.org/protobuf google.golang.org/grpc github.com/prometheus/client_golang
go.uber.org/zap github.com/go-chi/chi/v5 golang.org/x/net github.com/stretchr/testify
golang.org/x/sync golang.org/x/sys golang.org/x/text golang.org/x/crypto golang.org/x/oauth2
golang.org/x/time golang.org/x/exp golang.org/x/mod golang.org/x/tools github.com/google/uuid
github.com/google/go-cmp github.com/pkg/errors github.com/spf13/cobra github.com/spf13/viper
github.com/spf13/pflag github.com/sirupsen/logrus github.com/rs/zerolog github.com/gin-gonic/gin
github.com/labstack/echo/v4 github.com/gorilla/mux github.com/gorilla/websocket
github.com/redis/go-redis/v9 github.com/nats-io/nats.go github.com/rabbitmq/amqp091-go
github.com/aws/aws-sdk-go-v2 github.com/aws/aws-sdk-go-v2/config github.com/aws/aws-sdk-go-v2/service/sqs
github.com/aws/aws-sdk-go-v2/service/sns github.com/aws/aws-sdk-go-v2/service/s3
github.com/aws/smithy-go cloud.google.com/go/pubsub cloud.google.com/go/storage
github.com/Azure/azure-sdk-for-go/sdk/azcore github.com/Azure/azure-sdk-for-go/sdk/messaging/azservicebus
go.opentelemetry.io/otel go.opentelemetry.io/otel/trace go.opentelemetry.io/otel/metric
go.opentelemetry.io/otel/sdk go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc
go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp github.com/golang/protobuf
github.com/golang/mock go.uber.org/mock go.uber.org/multierr go.uber.org/atomic go.uber.org/fx
go.uber.org/dig github.com/cenkalti/backoff/v4 github.com/hashicorp/go-retryablehttp
github.com/hashicorp/go-multierror github.com/hashicorp/golang-lru/v2 github.com/hashicorp/vault/api
github.com/hashicorp/consul/api github.com/klauspost/compress github.com/pierrec/lz4/v4
github.com/golang/snappy github.com/cespare/xxhash/v2 github.com/davecgh/go-spew
github.com/pmezard/go-difflib gopkg.in/yaml.v3 gopkg.in/yaml.v2 github.com/json-iterator/go
github.com/mitchellh/mapstructure github.com/go-playground/validator/v10 github.com/jmoiron/sqlx
github.com/lib/pq github.com/go-sql-driver/mysql github.com/mattn/go-sqlite3
github.com/golang-migrate/migrate/v4 github.com/pressly/goose/v3 gorm.io/gorm gorm.io/driver/postgres
github.com/jackc/pgconn github.com/jackc/pgservicefile github.com/jackc/puddle/v2
github.com/jackc/pgpassfile github.com/beorn7/perks github.com/prometheus/client_model
github.com/prometheus/common github.com/prometheus/procfs github.com/munnerz/goautoneg
github.com/grpc-ecosystem/grpc-gateway/v2 github.com/grpc-ecosystem/go-grpc-middleware/v2
google.golang.org/genproto/googleapis/api google.golang.org/genproto/googleapis/rpc
google.golang.org/api github.com/googleapis/gax-go/v2 github.com/envoyproxy/protoc-gen-validate
github.com/bufbuild/protovalidate-go github.com/linkedin/goavro/v2 github.com/hamba/avro/v2
github.com/riferrei/srclient github.com/eapache/go-resiliency github.com/eapache/queue
github.com/eapache/go-xerial-snappy github.com/jcmturner/gokrb5/v8 github.com/hashicorp/go-uuid
github.com/rcrowley/go-metrics github.com/xdg-go/scram github.com/xdg-go/pbkdf2
github.com/xdg-go/stringprep github.com/twmb/franz-go/pkg/kmsg github.com/twmb/franz-go/pkg/kadm
github.com/lithammer/shortuuid/v3 github.com/oklog/ulid/v2 github.com/google/wire
github.com/kelseyhightower/envconfig github.com/caarlos0/env/v11 github.com/joho/godotenv
github.com/go-logr/logr github.com/go-logr/stdr github.com/felixge/httpsnoop
github.com/mattn/go-isatty github.com/mattn/go-colorable github.com/fatih/color
github.com/valyala/fasthttp github.com/gofiber/fiber/v2 github.com/go-resty/resty/v2
github.com/avast/retry-go/v4 github.com/sony/gobreaker github.com/afex/hystrix-go
github.com/testcontainers/testcontainers-go github.com/docker/docker github.com/docker/go-connections
github.com/opencontainers/image-spec github.com/Microsoft/go-winio github.com/containerd/containerd
k8s.io/client-go k8s.io/apimachinery k8s.io/api sigs.k8s.io/controller-runtime sigs.k8s.io/yaml
github.com/alicebob/miniredis/v2 github.com/DATA-DOG/go-sqlmock github.com/jarcoal/httpmock
github.com/onsi/ginkgo/v2 github.com/onsi/gomega github.com/matryer/is github.com/google/go-github/v62
github.com/tidwall/gjson github.com/tidwall/sjson github.com/buger/jsonparser github.com/goccy/go-json
github.com/bytedance/sonic github.com/ugorji/go/codec github.com/vmihailenco/msgpack/v5
github.com/shopspring/decimal github.com/robfig/cron/v3 github.com/go-co-op/gocron/v2
github.com/hibiken/asynq github.com/riverqueue/river github.com/temporalio/sdk-go
go.temporal.io/sdk go.temporal.io/api github.com/dgraph-io/badger/v4 go.etcd.io/bbolt
go.etcd.io/etcd/client/v3 github.com/open-policy-agent/opa github.com/golang-jwt/jwt/v5
github.com/coreos/go-oidc/v3 github.com/lestrrat-go/jwx/v2 github.com/casbin/casbin/v2
"""

_GO_INTERNAL_AREAS = """
eventbus outbox inbox sagas schema-registry idempotency tracing logging metrics config featureflags
retry circuitbreaker ratelimit auth tenancy audit money ledger payments orders inventory shipping
catalog pricing notifications email sms webhooks search recommendations fraud identity sessions
"""

_NPM_PUBLIC = """
express fastify koa @nestjs/core @nestjs/common @nestjs/microservices @nestjs/config
kafkajs @confluentinc/kafka-javascript amqplib nats ioredis redis bullmq pg mysql2 mongodb
mongoose typeorm prisma @prisma/client sequelize knex zod joi yup ajv ajv-formats class-validator
class-transformer reflect-metadata rxjs lodash lodash-es ramda dayjs date-fns luxon moment uuid
nanoid axios got node-fetch undici cross-fetch pino pino-http pino-pretty winston bunyan
dotenv convict @opentelemetry/api @opentelemetry/sdk-node @opentelemetry/auto-instrumentations-node
@opentelemetry/exporter-trace-otlp-http prom-client @aws-sdk/client-sqs @aws-sdk/client-sns
@aws-sdk/client-s3 @aws-sdk/client-dynamodb @google-cloud/pubsub @azure/service-bus avsc
@kafkajs/confluent-schema-registry protobufjs @grpc/grpc-js @grpc/proto-loader graphql
@apollo/server graphql-tag jsonwebtoken jose passport passport-jwt bcrypt helmet cors
compression body-parser cookie-parser morgan http-errors semver yargs commander chalk debug
ms qs ws socket.io eventemitter3 p-limit p-retry p-queue async retry opossum cockatiel
typescript ts-node tsx @types/node @types/express @types/jest @types/lodash @types/uuid
@types/pg @types/amqplib jest ts-jest vitest @vitest/coverage-v8 mocha chai sinon supertest
nock msw @testcontainers/kafka testcontainers eslint @typescript-eslint/parser
@typescript-eslint/eslint-plugin eslint-config-prettier eslint-plugin-import prettier husky
lint-staged nodemon rimraf concurrently cross-env esbuild tsup rollup webpack webpack-cli
@swc/core @swc/jest source-map-support tslib core-js @babel/core @babel/preset-env
@babel/runtime regenerator-runtime ansi-styles supports-color has-flag escape-string-regexp
color-convert color-name balanced-match brace-expansion minimatch glob fs-extra graceful-fs
picomatch micromatch fast-glob braces fill-range to-regex-range is-number chokidar readdirp
anymatch normalize-path inherits safe-buffer string_decoder readable-stream once wrappy
inflight path-is-absolute mime mime-types mime-db accepts negotiator type-is media-typer
content-type raw-bodyparser iconv-lite safer-buffer statuses depd destroy on-finished ee-first
encodeurl escape-html etag fresh range-parser send serve-static finalhandler parseurl
path-to-regexp merge-descriptors utils-merge vary proxy-addr forwarded ipaddr.js
setprototypeof toidentifier function-bind has-symbols get-intrinsic call-bind side-channel
object-inspect es-errors es-define-property hasown gopd define-data-property
"""

_NPM_INTERNAL = """
@acme/eventbus @acme/outbox @acme/schemas @acme/logger @acme/tracing @acme/config @acme/auth
@acme/money @acme/testing @acme/eslint-config @acme/tsconfig @acme/kafka-client @acme/feature-flags
"""

_PYPI = """
requests httpx aiohttp urllib3 certifi idna charset-normalizer fastapi starlette uvicorn gunicorn
flask django djangorestframework celery kombu redis pydantic pydantic-settings pydantic-core
sqlalchemy alembic psycopg psycopg2-binary asyncpg aiokafka confluent-kafka kafka-python pika
aio-pika nats-py boto3 botocore s3transfer google-cloud-pubsub azure-servicebus fastavro avro
protobuf grpcio grpcio-tools opentelemetry-api opentelemetry-sdk opentelemetry-exporter-otlp
opentelemetry-instrumentation-fastapi prometheus-client structlog python-json-logger loguru
tenacity backoff orjson ujson msgpack pyyaml python-dotenv click typer rich attrs cattrs
marshmallow jsonschema python-dateutil pytz tzdata arrow pendulum cryptography pyjwt
passlib bcrypt itsdangerous jinja2 markupsafe werkzeug anyio sniffio h11 httpcore
typing-extensions packaging six setuptools wheel numpy pandas pyarrow polars
pytest pytest-asyncio pytest-cov pytest-mock coverage hypothesis freezegun respx responses
mypy ruff black isort flake8 pre-commit types-requests types-pyyaml testcontainers factory-boy
faker tomli tomli-w cachetools diskcache sentry-sdk ddtrace
"""

_PYPI_INTERNAL = "acme-eventbus acme-schemas acme-logging acme-config acme-testing"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Package:
    """One package of a pool and its invented release history, oldest first."""

    name: str
    releases: tuple[str, ...]


def _go_major(path: str) -> int:
    """The major version a Go module path implies (``/v5`` → 5, ``yaml.v3`` → 3, else -1)."""
    match = re.search(r"(?:/v|\.v)(\d+)$", path)
    return int(match.group(1)) if match else -1


def _history(rng: random.Random, first_major: int, last_major: int) -> list[tuple[int, int, int]]:
    """An increasing list of (major, minor, patch) triples spanning the given majors."""
    triples: list[tuple[int, int, int]] = []
    for major in range(first_major, last_major + 1):
        for minor in range(rng.randint(1, 12)):
            triples.extend((major, minor, patch) for patch in range(rng.randint(1, 6)))
    return triples


def _semver_history(name: str) -> list[tuple[int, int, int]]:
    rng = random.Random(f"history:{name}")
    first = rng.choice((0, 0, 1, 1, 1, 2, 3))
    return _history(rng, first, first + rng.randint(0, 3))


def _go_releases(path: str) -> tuple[str, ...]:
    major = _go_major(path)
    if major >= 2:
        triples = _history(random.Random(f"history:{path}"), major, major)
    else:  # no major suffix: only v0 and v1 are possible
        rng = random.Random(f"history:{path}")
        first = rng.choice((0, 1, 1))
        triples = _history(rng, first, 1 if rng.random() < 0.5 else first)
    return tuple(f"v{a}.{b}.{c}" for a, b, c in triples)


def _plain_releases(name: str, short_ok: bool) -> tuple[str, ...]:
    rng = random.Random(f"style:{name}")
    short = short_ok and rng.random() < 0.2
    triples = _semver_history(name)
    if short:
        return tuple(dict.fromkeys(f"{a}.{b}" for a, b, _ in triples))
    return tuple(f"{a}.{b}.{c}" for a, b, c in triples)


@cache
def go_modules() -> tuple[Package, ...]:
    """About three hundred Go module paths: public modules plus ``acme`` internal ones."""
    paths = list(_GO_PUBLIC.split())
    for area in _words(_GO_INTERNAL_AREAS):
        paths.append(f"github.com/acme-events/{area}")
        paths.append(f"github.com/acme-events/{area}-client")
        paths.append(f"gitlab.acme.example/platform/{area}/v2")
    paths.extend(f"go.acme.example/kit/{area}" for area in _words(_GO_INTERNAL_AREAS))
    return tuple(Package(path, _go_releases(path)) for path in dict.fromkeys(paths))


@cache
def npm_packages() -> tuple[Package, ...]:
    """About three hundred npm package names, scoped and unscoped."""
    names = dict.fromkeys(_words(_NPM_PUBLIC) + _words(_NPM_INTERNAL))
    return tuple(Package(name, _plain_releases(name, short_ok=False)) for name in names)


@cache
def pypi_packages() -> tuple[Package, ...]:
    """About a hundred and fifty PyPI project names."""
    names = dict.fromkeys(_words(_PYPI) + _words(_PYPI_INTERNAL))
    return tuple(Package(name, _plain_releases(name, short_ok=True)) for name in names)
