resource "aws_eks_cluster" "broken" {
  version = 
}
