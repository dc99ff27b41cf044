module example.com/toolchain

go 1.21.0

toolchain go1.22.4

require github.com/stretchr/testify v1.9.0
