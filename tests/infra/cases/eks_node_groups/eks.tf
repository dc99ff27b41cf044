resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  version  = "1.30"

  upgrade_policy {
    support_type = "STANDARD"
  }

  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name = aws_eks_cluster.main.name
  version      = "1.28"
}

resource "aws_eks_node_group" "batch" {
  cluster_name = aws_eks_cluster.main.name
}
