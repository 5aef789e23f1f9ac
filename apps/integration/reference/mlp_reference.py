"""Independent numpy reference for apps/integration/src/fashionMnistCpu.test.ts: the MLP trained on real Fashion-MNIST, checked step by step.

The same recipe as the test, written from scratch without @flux: Fashion-MNIST, 784-256-10 MLP with relu,
glorot-uniform weights and zero biases, softmax cross-entropy (mean over the batch), Adam(LR, 0.9, 0.999,
1e-8), reshuffled every epoch, 3 epochs; prints the test accuracy per seed.

    python3 apps/integration/reference/mlp_reference.py BATCHSIZE SEEDS MODE LR
    MODE: "plain", "std" (pixels standardised with the training set's mean/deviation), "decay" (LR x0.3 in
    the last epoch) or "stddecay" (both)

Measured here (batch 128): plain 1e-3, seeds 0-3: 0.862, 0.868, 0.866, 0.864; std 1e-3: 0.868, 0.871;
decay 2e-3: 0.875, 0.871; stddecay 2e-3 (the test's recipe), seeds 0-2: 0.879, 0.879, 0.881.
"""
import numpy as np, gzip, sys, time
import os
D=os.path.join(os.path.dirname(os.path.abspath(__file__)),'../../../../shared/datasets/fashion-mnist/')
def imgs(f): return np.frombuffer(gzip.open(D+f).read(),np.uint8,offset=16).reshape(-1,784).astype(np.float32)/255
def labs(f): return np.frombuffer(gzip.open(D+f).read(),np.uint8,offset=8).astype(np.int64)
X=imgs('train-images-idx3-ubyte.gz'); Y=labs('train-labels-idx1-ubyte.gz')
Xt=imgs('t10k-images-idx3-ubyte.gz'); Yt=labs('t10k-labels-idx1-ubyte.gz')
MODE=sys.argv[3]
if 'std' in MODE:
  mu=X.mean(); sd=X.std(); X=(X-mu)/sd; Xt=(Xt-mu)/sd
LR=float(sys.argv[4])
bs=int(sys.argv[1]); 
for seed in range(int(sys.argv[2])):
  r=np.random.default_rng(seed)
  def glorot(o,i): 
    s=np.sqrt(6/(i+o)); return r.uniform(-s,s,(o,i)).astype(np.float32)
  P=[glorot(256,784),np.zeros(256,np.float32),glorot(10,256),np.zeros(10,np.float32)]
  m=[np.zeros_like(p) for p in P]; v=[np.zeros_like(p) for p in P]; t=0
  for ep in range(3):
    lr=LR*(0.3 if ('decay' in MODE and ep==2) else 1)
    perm=r.permutation(60000)
    for s in range(0,60000,bs):
      idx=perm[s:s+bs]; x=X[idx]; y=Y[idx]; n=len(idx)
      h=x@P[0].T+P[1]; a=np.maximum(h,0); z=a@P[2].T+P[3]
      z=z-z.max(1,keepdims=True); p=np.exp(z); p/=p.sum(1,keepdims=True)
      dz=p; dz[np.arange(n),y]-=1; dz/=n
      g2=dz.T@a; g3=dz.sum(0); da=dz@P[2]; dh=da*(h>0); g0=dh.T@x; g1=dh.sum(0)
      t+=1
      for k,g in enumerate([g0,g1,g2,g3]):
        m[k]=0.9*m[k]+0.1*g; v[k]=0.999*v[k]+0.001*g*g
        P[k]-=lr*(m[k]/(1-0.9**t))/(np.sqrt(v[k]/(1-0.999**t))+1e-8)
  zt=np.maximum(Xt@P[0].T+P[1],0)@P[2].T+P[3]
  print(bs,seed,(zt.argmax(1)==Yt).mean(),flush=True)
