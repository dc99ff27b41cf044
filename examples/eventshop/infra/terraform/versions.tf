terraform {
  # Pinned to the last 1.5 release; the 1.6+ upgrade is tracked in the platform backlog.
  required_version = "~> 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 4.67"
    }
  }

  backend "s3" {
    bucket         = "eventshop-terraform-state"
    key            = "prod/platform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "eventshop-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "eventshop"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
