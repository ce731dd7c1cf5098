module sangstudio

go 1.24
