module example.com/skipper

go 1.26
