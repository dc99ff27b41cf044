# The brokers sit in two of the platform's three zones (a cost decision from the first year).
data "aws_subnet" "kafka_a" {
  vpc_id            = var.vpc_id
  availability_zone = "eu-west-1a"
  tags              = { Tier = "private" }
}

data "aws_subnet" "kafka_b" {
  vpc_id            = var.vpc_id
  availability_zone = "eu-west-1b"
  tags              = { Tier = "private" }
}

resource "aws_msk_configuration" "eventshop" {
  name           = "eventshop-${var.environment}"
  kafka_versions = [var.kafka_version]
  description    = "Broker settings for the eventshop topics (orders, payments, inventory, shipments)."

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=2
    min.insync.replicas=2
    num.partitions=6
    log.retention.hours=168
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "eventshop" {
  cluster_name           = "eventshop-${var.environment}"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 4

  broker_node_group_info {
    instance_type   = var.kafka_broker_instance_type
    client_subnets  = [data.aws_subnet.kafka_a.id, data.aws_subnet.kafka_b.id]
    security_groups = [aws_security_group.kafka.id]

    storage_info {
      ebs_storage_info {
        volume_size = 500
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.eventshop.arn
    revision = aws_msk_configuration.eventshop.latest_revision
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = true
      }
    }
  }
}
