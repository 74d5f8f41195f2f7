# The Bake file that builds the Dockerfile beside it: BASE comes from here.
variable "GO" { default = "1.26" }
target "app" {
  args = { BASE = "golang:${GO}" }
}
