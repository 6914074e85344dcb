// (no public declarations: main.c declares the libFuzzer symbols it uses)
