def conv_output_length(n, kernel_size, stride=1, padding="valid")
    return n
