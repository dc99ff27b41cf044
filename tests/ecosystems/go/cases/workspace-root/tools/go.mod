module example.com/root/tools

go 1.22

require example.com/root v0.1.0
