variable "image_name" {
  description = "Repository name in the registry; also the container and group name suffix."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the container group."
  type        = string
}

variable "subnet_id" {
  description = "Delegated subnet for the container group."
  type        = string
}

variable "login_server" {
  description = "Login server of the registry the image is pulled from."
  type        = string
}

variable "registry_username" {
  description = "Registry user name for the image pull."
  type        = string
}

variable "registry_password" {
  description = "Registry password for the image pull."
  type        = string
  sensitive   = true
}

variable "cpu" {
  description = "vCPU for the container."
  type        = number
  default     = 0.5
}

variable "memory" {
  description = "Memory (GB) for the container."
  type        = number
  default     = 1
}
