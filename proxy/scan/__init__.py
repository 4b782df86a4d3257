"""What is scanned in a message: toward the client (`to_client`, rebuilt by `plan`, blobs sniffed by
`blobs`, JSON texts read by `parse`, shapes and key context in `shapes`, names in `names`), and toward the
backend (`to_backend`)."""
