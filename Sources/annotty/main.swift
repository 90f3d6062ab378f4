import AnnottyCore
print("annotty \(AnnottyCore.version)")
