variable "region" {
  description = "AWS region of the platform."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name, used in resource names and tags."
  type        = string
  default     = "prod"
}

variable "vpc_id" {
  description = "VPC the platform runs in (owned by the network stack)."
  type        = string
}

variable "private_subnet_ids" {
  description = "One private subnet per availability zone (eu-west-1a, eu-west-1b, eu-west-1c)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) == 3
    error_message = "The platform has exactly one private subnet per availability zone."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster and its configuration."
  type        = string
  default     = "2.8.1"
}

variable "kafka_broker_instance_type" {
  description = "MSK broker instance type."
  type        = string
  default     = "kafka.m5.large"
}

variable "db_instance_class" {
  description = "RDS instance class of the orders/payments/inventory database."
  type        = string
  default     = "db.m6g.large"
}
