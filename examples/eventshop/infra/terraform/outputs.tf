output "kafka_bootstrap_brokers_tls" {
  description = "TLS bootstrap brokers for the services' KAFKA_BROKERS."
  value       = aws_msk_cluster.eventshop.bootstrap_brokers_tls
}

output "postgres_endpoint" {
  description = "PostgreSQL endpoint (host:port)."
  value       = aws_db_instance.eventshop.endpoint
}

output "eks_cluster_endpoint" {
  description = "EKS API endpoint (private)."
  value       = aws_eks_cluster.eventshop.endpoint
}
