data "aws_vpc" "platform" {
  id = var.vpc_id
}

resource "aws_security_group" "kafka" {
  name        = "eventshop-${var.environment}-kafka"
  description = "MSK brokers: TLS from the EKS nodes"
  vpc_id      = var.vpc_id

  ingress {
    description = "Kafka TLS"
    from_port   = 9094
    to_port     = 9094
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.platform.cidr_block]
  }
}

resource "aws_security_group" "postgres" {
  name        = "eventshop-${var.environment}-postgres"
  description = "PostgreSQL from the EKS nodes"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.platform.cidr_block]
  }
}
