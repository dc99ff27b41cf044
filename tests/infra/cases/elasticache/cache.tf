resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  engine_version       = "7.1"
}

resource "aws_elasticache_serverless_cache" "feature_flags" {
  name                 = "flags"
  engine               = "valkey"
  major_engine_version = "8"
}
