module example.com/pseudo

go 1.22

require (
	// no tag before this commit on v0
	github.com/example/untagged v0.0.0-20191109021931-daa7c04131f5
	// after the pre-release v1.3.0-rc.1
	github.com/example/afterpre v1.3.0-rc.1.0.20230405060708-0123456789ab
	// after the release v1.2.3
	github.com/example/afterrelease v1.2.4-0.20240102030405-abcdefabcdef
	// a v2+ module path without go.mod
	github.com/example/legacy v2.1.1-0.20200101000000-abcdefabcdef+incompatible
)
