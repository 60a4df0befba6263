# Written for shirube's tests: a Terraform template, not YAML until rendered.
apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata:
  name: ${cluster_name}
spec:
  type: hybrid
  anthosBareMetalVersion: 1.8.0
  controlPlane:
    nodePoolSpec:
      nodes:
      %{ for ip in control_plane_ips ~}
      - address: ${ip}
      %{ endfor ~}
