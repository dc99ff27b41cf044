locals {
  kafka_version = "3.6.0"
  zones         = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  availability_zone = "eu-central-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = "vpc-1"
  availability_zone = "eu-central-1b"
}

resource "aws_subnet" "c" {
  vpc_id            = "vpc-1"
  availability_zone = "eu-central-1c"
}

resource "aws_msk_configuration" "main" {
  name              = "main"
  kafka_versions    = [local.kafka_version]
  server_properties = "default.replication.factor=3\nmin.insync.replicas=2\ninter.broker.protocol.version=3.6\n"
}

resource "aws_msk_cluster" "main" {
  cluster_name           = "main"
  kafka_version          = local.kafka_version # pinned with the configuration
  number_of_broker_nodes = 6

  broker_node_group_info {
    instance_type  = "kafka.m5.2xlarge"
    client_subnets = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]
  }

  configuration_info {
    arn      = aws_msk_configuration.main.arn
    revision = 1
  }
}
