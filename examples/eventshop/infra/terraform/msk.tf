resource "aws_msk_configuration" "eventshop" {
  name           = "eventshop-${var.environment}"
  kafka_versions = [var.kafka_version]
  description    = "Broker settings for the eventshop topics (orders, payments, inventory, shipments)."

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    num.partitions=6
    log.retention.hours=168
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "eventshop" {
  cluster_name           = "eventshop-${var.environment}"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.kafka_broker_instance_type
    client_subnets  = var.private_subnet_ids
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
