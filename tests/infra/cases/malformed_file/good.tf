resource "aws_eks_cluster" "good" {
  version = "1.29"
}
