resource "aws_db_subnet_group" "eventshop" {
  name       = "eventshop-${var.environment}"
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_parameter_group" "postgres13" {
  name   = "eventshop-${var.environment}-postgres13"
  family = "postgres13"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_db_instance" "eventshop" {
  identifier     = "eventshop-${var.environment}"
  engine         = "postgres"
  engine_version = "13.13"
  instance_class = var.db_instance_class

  allocated_storage     = 200
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                     = "eventshop"
  username                    = "eventshop_admin"
  manage_master_user_password = true

  multi_az                   = true
  db_subnet_group_name       = aws_db_subnet_group.eventshop.name
  parameter_group_name       = aws_db_parameter_group.postgres13.name
  vpc_security_group_ids     = [aws_security_group.postgres.id]
  auto_minor_version_upgrade = false
  backup_retention_period    = 14
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "eventshop-${var.environment}-final"
}
