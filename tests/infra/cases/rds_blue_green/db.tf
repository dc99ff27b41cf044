resource "aws_db_parameter_group" "pg16" {
  name   = "orders-pg16"
  family = "postgres16"

  parameter {
    name  = "rds.logical_replication"
    value = "1"
  }
}

resource "aws_db_instance" "orders" {
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.r6g.large"
  allow_major_version_upgrade = true
  parameter_group_name        = aws_db_parameter_group.pg16.name

  blue_green_update {
    enabled = true
  }
}

resource "aws_rds_cluster" "reporting" {
  engine         = "aurora-postgresql"
  engine_version = var.aurora_version
}

variable "aurora_version" {
  type    = string
  default = "15.6"
}
