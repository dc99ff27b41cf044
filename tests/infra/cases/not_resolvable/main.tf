variable "kafka_version" {
  type = string
}

variable "pg_major" {
  default = "14"
}

resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.brokers

  broker_node_group_info {
    instance_type  = "kafka.m7g.large"
    client_subnets = var.subnets
  }
}

resource "aws_db_instance" "main" {
  engine         = "postgres"
  engine_version = "${var.pg_major}.1"
}

resource "aws_eks_cluster" "main" {
  name    = "main"
  version = data.aws_eks_cluster_versions.latest.cluster_versions[0]
}
