module example.com/broken

go 1.22
go 1.23
go one.two

toolchain 1.22.0

require github.com/ok/first v1.0.0
require github.com/missing/version
require github.com/bad/version 1.2.3
require github.com/bad/version2 v1.2.x
require github.com/too/many v1.0.0 v1.0.1
require 'github.com/single/quoted' v1.0.0
require "github.com/unterminated v1.0.0
/* block comments are not Go */
require github.com/ok/second v1.1.0

replace github.com/a/b => github.com/c/d
replace github.com/a/b => ../local v1.0.0
replace github.com/a/b => github.com/c/d@v1.0.0
replace github.com/a/b v1.0.0

frobnicate all
go (
	1.22
)
)
require github.com/ok/third v1.2.0

require (
	github.com/ok/fourth v1.3.0
	github.com/in/block
